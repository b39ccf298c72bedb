/** Health and smoke tests of a freshly started model server over the Open Inference Protocol v2. */
package io.edgeloop.deploy.smoke;
