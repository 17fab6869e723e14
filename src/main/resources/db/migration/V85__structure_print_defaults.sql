-- A school's print defaults (customisation/PrintDefaults), set by its admin: whether its letters are
-- printed as PDF/A-2u archive copies unless the print asks otherwise. No row = the platform's default
-- (no archive copy). Its own table, so the structure row and its record stay as they are.
create table structure_print_defaults (
    structure_id   bigint      primary key references structure (id) on delete cascade,
    archive        boolean     not null default false,
    updated_by     text        not null,
    updated_at     timestamptz not null default now()
);
