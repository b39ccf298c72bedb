/** A service's metadata database: the configured PostgreSQL, or an embedded real PostgreSQL for one-command mode. */
package io.edgeloop.database;
