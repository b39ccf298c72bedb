package io.edgeloop.security.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Bounds request bodies before the application reads them (a 50 MB run request once cost 2.5 GB of
 * heap): a declared {@code Content-Length} over the limit is refused from the headers; a chunked body
 * is read here up to the limit and refused as soon as it passes it, so at most the limit is ever held.
 * The answer is 413 with a problem body naming the limit and its setting. The server closes the
 * connection on the unread rest (Tomcat swallows at most {@code server.tomcat.max-swallow-size}).
 */
final class RequestBodyLimitFilter extends OncePerRequestFilter {
  private final long defaultMax;
  private final List<Route> routes;

  private record Route(BodyLimit limit, PathPattern pattern) {}

  RequestBodyLimitFilter(long defaultMax, List<BodyLimit> limits) {
    this.defaultMax = defaultMax;
    this.routes = limits.stream().map(l -> new Route(l, PathPatternParser.defaultInstance.parse(l.pathPattern()))).toList();
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    BodyLimit own = limitFor(request);
    long max = own == null ? defaultMax : own.maxBytes();
    String setting = own == null ? "edgeloop.security.max-body-bytes" : own.setting();
    long declared = request.getContentLengthLong();
    if (declared > max) {
      tooLarge(request, response, max, setting);
      return;
    }
    if (declared >= 0 || request.getHeader("Transfer-Encoding") == null) {
      // The container delivers no more than Content-Length bytes.
      chain.doFilter(request, response);
      return;
    }
    byte[] body = readAtMost(request.getInputStream(), max);
    if (body == null) {
      tooLarge(request, response, max, setting);
      return;
    }
    chain.doFilter(new ReadBody(request, body), response);
  }

  private BodyLimit limitFor(HttpServletRequest request) {
    PathContainer path = PathContainer.parsePath(request.getRequestURI().substring(request.getContextPath().length()));
    return routes.stream().filter(r -> r.limit().method().matches(request.getMethod()) && r.pattern().matches(path))
        .map(Route::limit).findFirst().orElse(null);
  }

  /** The whole body, or null as soon as it passes {@code max} bytes. */
  private static byte[] readAtMost(InputStream in, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(max, 64 * 1024));
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > max) {
        return null;
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static void tooLarge(HttpServletRequest request, HttpServletResponse response, long max, String setting) throws IOException {
    response.setHeader("Connection", "close");
    Problems.write(request, response, HttpStatus.PAYLOAD_TOO_LARGE,
        "request body exceeds the limit of " + max + " bytes (" + setting + ")");
  }

  /** A request whose body has been read here already. */
  private static final class ReadBody extends HttpServletRequestWrapper {
    private final byte[] body;

    ReadBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body was read already");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }
}
