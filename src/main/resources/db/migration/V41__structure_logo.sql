-- A school's uploaded logo (customisation/LogoService). structure.logo_url (V1) keeps the data: URI of
-- letters_image, so templates ($structure.logoUrl) and the PDF engine (data: URIs only) need nothing new.
create table structure_logo (
    structure_id    bigint      primary key references structure (id) on delete cascade,
    -- PNG/JPEG: the bytes as uploaded; SVG: the sanitised document (the raw upload is never kept).
    original        bytea       not null,
    original_type   text        not null check (original_type in ('image/png', 'image/jpeg', 'image/svg+xml')),
    original_width  integer     not null check (original_width > 0),
    original_height integer     not null check (original_height > 0),
    -- The small re-encoded copy (no metadata) that letters embed.
    letters_image   bytea       not null,
    letters_type    text        not null check (letters_type in ('image/png', 'image/jpeg')),
    width           integer     not null check (width > 0),
    height          integer     not null check (height > 0),
    -- What the SVG sanitiser removed (script, onload, foreignObject…), shown to the admin.
    removed         text[]      not null default '{}',
    uploaded_by     text        not null,
    uploaded_at     timestamptz not null default now()
);
