-- The instances that share this database (jobs/Leases keeps each one's row alive with its heartbeat)
-- and the mail route each can send to; a campaign records the route it was started for, and only an
-- instance with that route claims its rows (issue 17 §1).

create table work_instance (
    id         text        primary key,          -- App.instanceId
    -- 'sandbox', or 'smtp:' and a fingerprint of host, port, TLS mode, user and From (never the
    -- password); null when this instance sends no mail.
    mail_route text,
    started_at timestamptz not null default now(),
    seen_at    timestamptz not null default now(),
    -- Set on SIGTERM: it takes no more work and hands its leases back.
    stopping   boolean     not null default false
);

alter table mail_campaign add column mail_route text;
alter table mail_campaign add column mail_route_label text;
-- Campaigns started before routes were recorded: the sandbox ones keep to sandbox instances; a null
-- route (a real server, unknown which) may be sent by any instance with a real server, as before.
update mail_campaign set mail_route = 'sandbox', mail_route_label = 'sandbox' where sandbox;
