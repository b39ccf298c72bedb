/** Commands over the services' REST APIs and the event topics: datasets, runs, models, images, deployments, events, dead letters. */
package io.edgeloop.launcher.cli;
