-- Web sessions, login throttling and the TOTP second factor. Kept in PostgreSQL so that several
-- instances behind one load balancer share them.

create table web_session (
    -- SHA-256 of the cookie's token: a copy of this table does not give anyone a session.
    token_hash       text primary key,
    admin_id         bigint      not null references admin (id) on delete cascade,
    csrf_token       text        not null,
    created_at       timestamptz not null default now(),
    last_seen_at     timestamptz not null default now(),
    -- Until when a TOTP code typed in this session allows outputs that carry credentials.
    totp_fresh_until timestamptz,
    -- A secret shown as a QR code and waiting for its first code before it is kept on the admin.
    totp_pending     text
);
create index web_session_admin on web_session (admin_id);
create index web_session_seen on web_session (last_seen_at);

-- Failed logins, counted per login and per address over a sliding window.
create table login_failure (
    id      bigserial primary key,
    login   text        not null,
    address text        not null,
    at      timestamptz not null default now()
);
create index login_failure_login on login_failure (login, at);
create index login_failure_address on login_failure (address, at);

-- The last TOTP time step accepted for an admin: a code is never accepted twice.
alter table admin add column totp_last_step bigint;

-- Case- and accent-insensitive text for the check table's search (Nom, Prénom, Classe).
create function search_fold(t text) returns text language sql immutable parallel safe as $$
    select lower(translate(replace(replace(replace(replace(t, 'Œ', 'Oe'), 'œ', 'oe'), 'Æ', 'Ae'), 'æ', 'ae'),
        'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿĐđŁłŠšŽžČčĆćŘřŻżŃńĘęĄąŚśŹźǗǘỄễ',
        'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyyDdLlSsZzCcCcRrZzNnEeAaSsZzUuEe'))
$$;
