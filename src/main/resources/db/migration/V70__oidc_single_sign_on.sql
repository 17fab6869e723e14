-- Single sign-on with the ENT's OpenID Connect provider.
--
-- A person who logs in through the provider gets an admin row of his own, source 'oidc', whose
-- login is 'oidc:' + the login the provider asserted (local logins cannot contain ':'): it keeps his
-- language and TOTP enrolment and names him in the audit, but holds no rights. His rights are read,
-- at every request, from the imported directory's accounts with that login (their functions).
-- A local admin with the same login is another row, and neither ever lends its rights to the other.
alter table admin add column source text not null default 'local' check (source in ('local', 'oidc'));
alter table admin alter column password_hash drop not null;
alter table admin add constraint admin_password_only_local check ((source = 'local') = (password_hash is not null));
-- oidc: the directory login (lower case) the provider asserted.
alter table admin add column directory_login text;
alter table admin add constraint admin_directory_login_only_oidc check ((source = 'oidc') = (directory_login is not null));
-- oidc: the provider's class-teacher claim at his last login (PUBLIPOSTAGE_OIDC_CLASS_TEACHER_CLAIM).
alter table admin add column provider_class_teacher boolean not null default false;
create unique index admin_directory_login on admin (directory_login) where source = 'oidc';

-- The directory's accounts of one login, in every structure: one index lookup per request.
create index account_login_lower on account (lower(login));

-- How a session was opened and how its second factor was last satisfied: 'totp' (a code typed
-- here) or 'provider' (the provider asserted a second factor: amr mfa/otp, or acr high enough).
alter table web_session add column login_via text not null default 'password' check (login_via in ('password', 'oidc'));
alter table web_session add column second_factor_via text check (second_factor_via in ('totp', 'provider'));
-- When that second factor was checked: the code typed here, or the provider's authentication (auth_time).
alter table web_session add column second_factor_at timestamptz;
-- The provider's ID token, sent back as id_token_hint when logging out at the provider.
alter table web_session add column id_token text;

-- Logins started at the provider and not yet come back: state, nonce and PKCE verifier stay on the
-- server (any instance), the browser holds only a random binding token in a cookie. A row is used
-- once (deleted when the provider sends the browser back) and lives 10 minutes.
create table oidc_pending (
    state_hash     text primary key,
    binding_hash   text        not null,
    nonce          text        not null,
    code_verifier  text        not null,
    -- the session this login re-confirms (a step-up), else null
    reauth_session text,
    created_at     timestamptz not null default now()
);
create index oidc_pending_created on oidc_pending (created_at);
