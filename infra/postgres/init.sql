-- One database per service that keeps state: no service reads another's tables.
CREATE DATABASE ingest;
CREATE DATABASE training;
CREATE DATABASE packaging;
CREATE DATABASE deploy;
-- The services' shared API token store (schema edgeloop_auth) lives in the default database, edgeloop.
