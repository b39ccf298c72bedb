/** Spring Cloud Stream glue every service shares: publishing and receiving edgeloop CloudEvents, and safe binder defaults. */
package io.edgeloop.messaging;
