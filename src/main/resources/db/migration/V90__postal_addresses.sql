-- Postal addresses (issue 14): the text as imported, never rewritten (the letter normalises it to
-- NF Z 10-011); an account has an address when it has a city. external_id and siecle_id are the ENT's
-- own identifiers of a person (its "Id" and "Id Siecle" / "Identifiant SIECLE" columns), kept so that
-- an address file from the ENT or from SIECLE can name people by them instead of by login.
alter table account
    add column address_line1 text,
    add column address_line2 text,
    add column address_line3 text,
    add column address_line4 text,
    add column postcode      text,
    add column city          text,
    add column country       text,
    add column external_id   text,
    add column siecle_id     text;

create index account_structure_external_id on account (structure_id, external_id) where external_id is not null;
create index account_structure_siecle_id on account (structure_id, siecle_id) where siecle_id is not null;
