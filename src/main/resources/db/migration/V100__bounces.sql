-- Bounces come back to the ledger (issue 16 §1). Additive: a new 'bounced' state of a ledger row, the
-- delivery status report's words beside it, the account flagged while its address keeps bouncing, and
-- the bounce mailbox's own state (who reads it now, how far it was read, what each message was).

alter table mail_recipient drop constraint mail_recipient_status_check;
alter table mail_recipient add constraint mail_recipient_status_check
    check (status in ('pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled', 'bounced'));
alter table mail_recipient
    -- A permanent failure reported after the server accepted the message (DSN status 5.x.x).
    add column bounced_at        timestamptz,
    add column bounce_status     text,   -- the DSN status code, e.g. 5.1.1
    add column bounce_diagnostic text,   -- the remote server's words (Diagnostic-Code), one line
    -- A delay report (4.x.x, Action: delayed): recorded, the row stays sent.
    add column delayed_at        timestamptz,
    add column delay_status      text,
    add column delay_diagnostic  text;

-- The account's address bounced for good: shown in the check table and the card until the address
-- changes (an import with another address clears it: trigger below, whichever importer writes it).
alter table account
    add column email_bounced_at   timestamptz,
    add column email_bounce       text;   -- "5.1.1: diagnostic", as the ledger row has it

create function account_email_changed() returns trigger
language plpgsql as $$
begin
    new.email_bounced_at := null;
    new.email_bounce := null;
    return new;
end
$$;

create trigger account_email_changed
    before update of email on account
    for each row when (old.email is distinct from new.email)
    execute function account_email_changed();

-- One row per bounce mailbox (host, user, folder): the lease that lets one instance at a time read it,
-- and the IMAP UID reached, so every message is looked at once (UIDVALIDITY changes restart it).
create table bounce_mailbox (
    mailbox      text        primary key,
    holder       text,
    lease_until  timestamptz,
    uid_validity bigint,
    last_uid     bigint      not null default 0,
    last_pass_at timestamptz,
    last_error   text
);

-- Every message the worker looked at, and what it made of it: kept for the counts (unmatched and
-- malformed messages stay in the mailbox, counted once) and for "why is this row bounced?".
create table bounce_message (
    id              bigserial   primary key,
    mailbox         text        not null,
    -- The message's own Message-ID, else UIDVALIDITY:UID: a message is counted once.
    message_key     text        not null,
    seen_at         timestamptz not null default now(),
    -- other: not a failure (a delivery report, an auto-reply…); kept in the mailbox like unmatched ones.
    outcome         text        not null check (outcome in ('bounced', 'delayed', 'unmatched', 'malformed', 'other')),
    format          text,       -- dsn, postfix, exim, exchange, qmail, …
    recipient_id    bigint      references mail_recipient (id) on delete set null,
    campaign_id     bigint      references mail_campaign (id) on delete set null,
    final_recipient text,
    status          text,
    diagnostic      text,
    subject         text,
    -- Where it was in the mailbox, and when it was moved to the processed folder (bounced and delayed
    -- ones): a move that a crash interrupted is done at the next pass.
    uid_validity    bigint,
    uid             bigint,
    moved_at        timestamptz,
    unique (mailbox, message_key)
);
-- "Who still needs a letter" (a campaign's rows of one account) and the account FK (on delete set null).
create index mail_recipient_account on mail_recipient (account_id, campaign_id);
create index bounce_message_outcome on bounce_message (outcome, seen_at);
create index bounce_message_campaign on bounce_message (campaign_id) where campaign_id is not null;
create index bounce_message_to_move on bounce_message (mailbox) where moved_at is null and outcome in ('bounced', 'delayed');
