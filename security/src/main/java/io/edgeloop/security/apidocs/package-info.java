/** The OpenAPI document every service serves: title, version, bearer scheme, the role per operation, {@code /} to the docs. */
package io.edgeloop.security.apidocs;
