-- A campaign paused by a worker because this instance's SMTP settings are wrong (issue 17 §2): the
-- SmtpProblem code with the error's detail, and the server it was sending to. Cleared when it runs again.
alter table mail_campaign
    add column pause_reason text,
    add column pause_server text;
