/** Kubernetes clusters as targets: Deployment + Service manifests applied with the fabric8 client. */
package io.edgeloop.deploy.kubernetes;
