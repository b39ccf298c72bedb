package io.edgeloop.security.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether a configured {@code server.address} listens on loopback only. */
final class Loopback {
  private Loopback() {}

  /** True for 127.0.0.0/8, ::1 and names resolving to them (localhost); false for no address (= every interface). */
  static boolean isLoopback(String address) {
    if (address == null || address.isBlank()) {
      return false;
    }
    try {
      return InetAddress.getByName(address.trim()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
