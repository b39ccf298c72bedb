package io.edgeloop.security.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Streams a large request body in chunks over a plain socket, as an attacker would: the body is never
 * in the test's memory (one 64 KiB chunk, sent again and again), and sending stops once the server has
 * answered. Measures what every thread of this JVM allocated meanwhile, so a test running the
 * service in-process can show that the service did not take the body into its heap.
 */
public final class OversizedUpload {
  private static final int CHUNK = 64 * 1024;

  private OversizedUpload() {}

  /**
   * @param status the HTTP status answered
   * @param response the status line, headers and what arrived of the body
   * @param sentBytes body bytes sent before the answer came (or the connection closed)
   * @param allocatedBytes bytes allocated by all threads of this JVM from start to answer
   */
  public record Outcome(int status, String response, long sentBytes, long allocatedBytes) {}

  /**
   * Sends {@code totalBytes} of body: {@code prefix}, then filler {@code a}s (so a JSON string that
   * never ends, for a JSON API).
   */
  public static Outcome send(int port, String method, String path, String contentType, String token, String prefix, long totalBytes)
      throws IOException, InterruptedException {
    long allocatedBefore = allocatedByAllThreads();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(60_000);
      CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> readAnswer(socket));
      OutputStream out = socket.getOutputStream();
      String head = method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: " + contentType
          + "\r\nTransfer-Encoding: chunked\r\n" + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      byte[] filler = new byte[CHUNK];
      Arrays.fill(filler, (byte) 'a');
      byte[] first = prefix.getBytes(StandardCharsets.UTF_8);
      System.arraycopy(first, 0, filler, 0, first.length);
      byte[] chunkHead = (Integer.toHexString(CHUNK) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
      long sent = 0;
      try {
        while (sent < totalBytes && !answer.isDone()) {
          out.write(chunkHead);
          out.write(filler);
          out.write(crlf);
          if (sent == 0) {
            Arrays.fill(filler, 0, first.length, (byte) 'a');
          }
          sent += CHUNK;
        }
        if (!answer.isDone()) {
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (IOException e) {
        // The server answered and closed the connection on the unread rest: what a limit does.
      }
      String response;
      try {
        response = answer.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IOException("no answer after " + sent + " bytes", e);
      }
      long allocated = allocatedByAllThreads() - allocatedBefore;
      int status = Integer.parseInt(response.substring(9, 12));
      return new Outcome(status, response, sent, allocated);
    }
  }

  /** The status line and headers, then whatever of the body comes within a short while. */
  private static String readAnswer(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        got.write(b);
        if (got.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
          break;
        }
      }
      socket.setSoTimeout(2000);
      byte[] buffer = new byte[4096];
      int n;
      try {
        while (got.size() < 64 * 1024 && (n = in.read(buffer)) > 0) {
          got.write(buffer, 0, n);
          if (got.toString(StandardCharsets.UTF_8).contains("}")) {
            break; // a problem body is one JSON object
          }
        }
      } catch (IOException endOfBody) {
        // timeout or reset after the body: the answer is complete enough
      }
      return got.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Bytes allocated so far by every live thread (HotSpot's per-thread counters). */
  public static long allocatedByAllThreads() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long allocated : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      total += Math.max(0, allocated);
    }
    return total;
  }
}
