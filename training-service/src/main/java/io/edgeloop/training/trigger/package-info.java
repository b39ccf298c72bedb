/** The trigger policy: debounced data triggers, cron schedules and manual triggers that request runs. */
package io.edgeloop.training.trigger;
