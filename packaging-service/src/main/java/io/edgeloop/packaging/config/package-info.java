/** Configuration of the packaging-service: its properties record and the wiring of its parts. */
package io.edgeloop.packaging.config;
