-- Background PDF jobs: claimed from here by any instance (FOR UPDATE SKIP LOCKED); the result is
-- stored in 1 MB parts so that any instance can serve the download, and deleted after download or
-- expiry (it holds credentials).
create table letter_job (
    id               bigserial primary key,
    structure_id     bigint      not null references structure (id) on delete cascade,
    admin_login      text        not null,
    request          jsonb       not null,          -- selection + scope, as the service received them
    state            varchar(10) not null default 'queued'
                     check (state in ('queued', 'running', 'done', 'failed', 'cancelled', 'expired')),
    cancel_requested boolean     not null default false,
    pages_done       integer     not null default 0,
    pages_total      integer     not null default 0,
    accounts         integer,
    bytes            bigint,
    error_key        text,
    error_args       jsonb,
    worker           text,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    heartbeat_at     timestamptz,
    finished_at      timestamptz,
    expires_at       timestamptz,
    downloaded_at    timestamptz
);
create index letter_job_queued on letter_job (created_at, id) where state = 'queued';
create index letter_job_running on letter_job (heartbeat_at) where state = 'running';
create index letter_job_done on letter_job (expires_at) where state = 'done';

create table letter_job_part (
    job_id bigint  not null references letter_job (id) on delete cascade,
    seq    integer not null,
    data   bytea   not null,
    primary key (job_id, seq)
);
