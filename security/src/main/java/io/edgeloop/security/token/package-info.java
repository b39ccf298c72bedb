/** edgeloop API tokens: their shape, the store ({@code edgeloop_auth.api_token}), the bootstrap admin and authentication. */
package io.edgeloop.security.token;
