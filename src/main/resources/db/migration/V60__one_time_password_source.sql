-- Who gave an admin his one-time password: 'start' (the demo admins, renewed by the start of serve that
-- prints them) or 'reset' (admin reset-password: kept until used, never renewed by a start).
alter table admin add column one_time_source text check (one_time_source in ('start', 'reset'));
alter table admin add column one_time_issued_at timestamptz;
update admin set one_time_source = 'start', one_time_issued_at = now() where one_time_password;
