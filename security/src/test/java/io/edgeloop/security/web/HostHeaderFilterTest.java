package io.edgeloop.security.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostHeaderFilterTest {
  @Test
  void shouldTakeTheNameWithoutThePort() {
    assertThat(HostHeaderFilter.hostName("localhost:8081")).isEqualTo("localhost");
    assertThat(HostHeaderFilter.hostName("[::1]:8081")).isEqualTo("[::1]");
    assertThat(HostHeaderFilter.hostName("[::1]")).isEqualTo("[::1]");
    assertThat(HostHeaderFilter.hostName("Edge.Example")).isEqualTo("edge.example");
    assertThat(HostHeaderFilter.hostName("127.0.0.1")).isEqualTo("127.0.0.1");
  }

  @Test
  void shouldKnowLoopbackAddresses() {
    assertThat(Loopback.isLoopback("127.0.0.1")).isTrue();
    assertThat(Loopback.isLoopback("::1")).isTrue();
    assertThat(Loopback.isLoopback("localhost")).isTrue();
    assertThat(Loopback.isLoopback("0.0.0.0")).isFalse();
    assertThat(Loopback.isLoopback(null)).isFalse();
    assertThat(Loopback.isLoopback("")).isFalse();
  }
}
