/** Rollouts: the policy that picks targets, the deployment history and queue, staged execution with retries, events and metrics. */
package io.edgeloop.deploy.rollout;
