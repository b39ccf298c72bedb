-- One database per service that keeps state: no service reads another's tables.
CREATE DATABASE training;
CREATE DATABASE deploy;
