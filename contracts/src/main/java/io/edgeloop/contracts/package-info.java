/** The events edgeloop's services exchange: immutable data types, their topics and keys, JSON Schemas and the CloudEvents codec. */
package io.edgeloop.contracts;
