-- Per-structure overrides of the built-in template files (and of the message texts, stored as the
-- files messages_fr.properties / messages_en.properties). Every change is a new row: the history is
-- never rewritten, so any earlier text can be compared and restored. The latest row of a
-- (structure, name) is what letters and mails use; a row whose text is null means "reset to the
-- built-in file" (the history before it stays).
create table template_version (
    id           bigserial primary key,
    structure_id bigint      not null references structure (id) on delete cascade,
    name         text        not null check (name ~ '^[a-z0-9][a-z0-9_-]*(\.[a-z0-9]+)+$'),
    version      int         not null check (version > 0),
    text         text,
    author       text        not null,
    created_at   timestamptz not null default now(),
    comment      text,
    action       text        not null check (action in ('save', 'rollback', 'reset')),
    -- For a rollback: the version whose text was restored.
    restored_from int,
    unique (structure_id, name, version)
);
