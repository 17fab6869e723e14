-- Wrong TOTP codes, counted per admin over a sliding window (issue 10, leak 3): at most 5 within 15
-- minutes, then no code is checked until the oldest of them leaves the window. In PostgreSQL like
-- login_failure, so that every instance counts the same attempts.
create table totp_failure (
    id       bigserial primary key,
    admin_id bigint      not null references admin (id) on delete cascade,
    at       timestamptz not null default now()
);
create index totp_failure_admin on totp_failure (admin_id, at);
