/** The HTTP side: the security filter chain, authorisation by handler role, problem responses, Host and body-size checks. */
package io.edgeloop.security.web;
