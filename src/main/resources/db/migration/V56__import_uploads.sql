-- A file uploaded on the web import page, kept between its dry run and "Appliquer" (issue 11). In
-- PostgreSQL so that any instance can apply it; it holds activation codes, so it is deleted once applied
-- or discarded, and an hour after its upload in any case. The id is a random token.
create table import_upload (
    id           text        primary key,
    structure_id bigint      not null references structure (id) on delete cascade,
    admin_login  text        not null,
    file_name    text        not null,
    content      bytea       not null,
    sha256       text        not null,
    created_at   timestamptz not null default now()
);
create index import_upload_created on import_upload (created_at);
