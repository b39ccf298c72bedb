/** The REST API: targets, deployment history, approvals and manual rollbacks (called by the CLI). */
package io.edgeloop.deploy.web;
