/** Authentication and authorisation shared by the four services: roles, the handler annotation, the configuration. */
package io.edgeloop.security;
