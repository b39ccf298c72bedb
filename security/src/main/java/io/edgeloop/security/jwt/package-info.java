/** OIDC / JWT access tokens from the site's identity provider: decoder and role mapping. */
package io.edgeloop.security.jwt;
