/** Azure IoT Edge as a target: deployment manifests applied to a device or a target condition through IoT Hub. */
package io.edgeloop.deploy.iotedge;
