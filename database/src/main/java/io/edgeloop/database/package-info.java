/**
 * A service's metadata database: the configured PostgreSQL, or an embedded real PostgreSQL with
 * password authentication (one per stack in one-command mode, one per service started alone).
 */
package io.edgeloop.database;
