package io.edgeloop.launcher.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a CLI call goes and with which token, resolved once from the global options, the
 * environment and the running stack's {@code stack.json}.
 */
public final class Connection {
  private final Map<Service, String> urls = new EnumMap<>(Service.class);
  private final Token token;
  private final Optional<StackInfo> stack;
  private final Path dataDir;

  private Connection(GlobalOptions options, Path dataDir) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    stack = StackInfo.read(dataDir);
    for (Service service : Service.values()) {
      String flag = options.flagUrl(service);
      urls.put(service, flag != null && !flag.isBlank() ? flag
          : stack.map(s -> s.service(service.id())).orElse(service.defaultUrl()));
    }
    Path tokenFile = stack.map(StackInfo::tokenFile).map(Path::of).orElse(dataDir.resolve("admin.token"));
    token = Token.resolve(options.token, System.getenv("EDGELOOP_TOKEN"), tokenFile);
  }

  public static Connection of(GlobalOptions options, Path dataDir) {
    return new Connection(options, dataDir);
  }

  public String url(Service service) {
    return urls.get(service);
  }

  public Token token() {
    return token;
  }

  public Optional<StackInfo> stack() {
    return stack;
  }

  public ApiClient api() {
    return new ApiClient(token, this::unreachable);
  }

  /** Why a service did not answer, as far as the data folder can tell. */
  String unreachable(Service service, String url) {
    String why = stack.map(s -> s.running()
            ? "the stack in " + dataDir + " (pid " + s.pid() + ") runs, but this service does not answer"
            : "the stack that wrote " + dataDir.resolve(StackInfo.FILE) + " (pid " + s.pid() + ") is not running: start it with ./edgeloop up")
        .orElse("is edgeloop running? Start it with ./edgeloop up (no " + dataDir.resolve(StackInfo.FILE) + "), or give --" + service.id().replace("-service", "") + "-url");
    return "cannot reach " + service.id() + " at " + url + ": " + why;
  }
}
