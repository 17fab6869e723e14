-- The school directory: structures, classes, accounts and their relations; admins and audit.

create table structure (
    id               bigserial primary key,
    uai              varchar(8)  not null unique check (uai ~ '^[0-9]{7}[A-Z]$'),
    name             text        not null,
    address          text,
    default_language varchar(2)  not null default 'fr' check (default_language in ('fr', 'en')),
    logo_url         text,
    ent_url          text        not null default 'https://ent.example.fr'
);

create table school_class (
    id           bigserial primary key,
    structure_id bigint not null references structure (id) on delete cascade,
    name         text   not null,
    level        text,
    unique (structure_id, name)
);
create index school_class_level on school_class (structure_id, level);

create table account (
    id              bigserial primary key,
    structure_id    bigint      not null references structure (id) on delete cascade,
    profile         varchar(10) not null check (profile in ('Student', 'Relative', 'Teacher', 'Personnel', 'Guest')),
    last_name       text        not null,
    first_name      text        not null,
    login           text        not null,
    login_alias     text,
    -- The code is erased when the account is activated: "activated" is derived, never out of step.
    activation_code text,
    activated       boolean     generated always as (activation_code is null) stored,
    email           text,
    level           text,
    functions       text[]      not null default '{}',
    blocked         boolean     not null default false,
    created_at      date        not null default current_date,
    language        varchar(2) check (language in ('fr', 'en')),
    unique (structure_id, login)
);
-- Selecting one school's accounts among a million: every selection starts from structure_id.
create index account_structure_profile on account (structure_id, profile);
create index account_structure_created on account (structure_id, created_at);

create table account_class (
    account_id bigint not null references account (id) on delete cascade,
    class_id   bigint not null references school_class (id) on delete cascade,
    primary key (account_id, class_id)
);
create index account_class_class on account_class (class_id, account_id);

-- parent ↔ pupil
create table account_relative (
    parent_id bigint not null references account (id) on delete cascade,
    child_id  bigint not null references account (id) on delete cascade,
    primary key (parent_id, child_id)
);
create index account_relative_child on account_relative (child_id);

create table admin (
    id                   bigserial primary key,
    login                text        not null unique,
    display_name         text        not null,
    password_hash        text        not null,
    super_admin          boolean     not null default false,
    language             varchar(2)  not null default 'fr' check (language in ('fr', 'en')),
    -- Demo admins get a fresh one-time password printed at each start until they first log in.
    one_time_password    boolean     not null default false,
    totp_secret          text,
    created_at           timestamptz not null default now()
);

create table admin_structure (
    admin_id     bigint not null references admin (id) on delete cascade,
    structure_id bigint not null references structure (id) on delete cascade,
    primary key (admin_id, structure_id)
);

-- Optional class-teacher role: an admin limited to the pupils and parents of these classes.
create table admin_class (
    admin_id bigint not null references admin (id) on delete cascade,
    class_id bigint not null references school_class (id) on delete cascade,
    primary key (admin_id, class_id)
);

create table audit_event (
    id            bigserial primary key,
    at            timestamptz not null default now(),
    admin_login   text        not null,
    action        text        not null,
    structure_id  bigint references structure (id) on delete set null,
    account_count integer,
    details       jsonb       not null default '{}'
);
create index audit_event_structure on audit_event (structure_id, at);
