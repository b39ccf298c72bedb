package io.edgeloop.contracts;

/** Why a model's image was not built or not announced. */
public enum BuildFailureReason implements WireValues.Wire {
  INVALID_PACKAGE, BASE_IMAGE_UNAVAILABLE, SERVER_LIB_MISSING, REGISTRY_UNREACHABLE,
  REGISTRY_DENIED, SMOKE_TEST_FAILED, BUILD_ERROR, INTERNAL_ERROR
}
