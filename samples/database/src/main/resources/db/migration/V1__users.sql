-- the users service's table; Flyway runs this once per database, before the handlers start
CREATE TABLE users (id serial PRIMARY KEY, name text UNIQUE NOT NULL);
