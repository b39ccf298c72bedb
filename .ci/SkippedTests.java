import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints every test the last build skipped, with the reason it gave, from the Surefire reports
 * ({@code <module>/target/surefire-reports/TEST-*.xml}) under the folder given (default: here).
 * Run by {@code .ci/run} after the tests: {@code java .ci/SkippedTests.java}. Always exits 0.
 */
public class SkippedTests {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    List<String> skipped = new ArrayList<>();
    List<Path> reports;
    try (Stream<Path> files = Files.walk(root, 4)) {
      reports = files.filter(p -> p.getFileName().toString().startsWith("TEST-") && p.getFileName().toString().endsWith(".xml"))
          .filter(p -> p.getParent().getFileName().toString().equals("surefire-reports")).sorted().toList();
    }
    for (Path report : reports) {
      read(report, root, skipped);
    }
    if (skipped.isEmpty()) {
      System.out.println("[ci] skipped tests: none (" + reports.size() + " report files)");
      return;
    }
    System.out.println("[ci] skipped tests: " + skipped.size());
    skipped.forEach(line -> System.out.println("[ci]   " + line));
  }

  private static void read(Path report, Path root, List<String> skipped) {
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Element suite = factory.newDocumentBuilder().parse(report.toFile()).getDocumentElement();
      String module = root.toAbsolutePath().normalize().relativize(report.toAbsolutePath().normalize()).getName(0).toString();
      NodeList cases = suite.getElementsByTagName("testcase");
      for (int i = 0; i < cases.getLength(); i++) {
        Element testcase = (Element) cases.item(i);
        NodeList marks = testcase.getElementsByTagName("skipped");
        if (marks.getLength() > 0) {
          Element mark = (Element) marks.item(0);
          String reason = mark.getAttribute("message");
          if (reason.isBlank()) { // this Surefire writes the exception, not a message: its first line
            reason = mark.getTextContent().strip().lines().findFirst().orElse("")
                .replaceFirst("^[\\w.$]+(Exception|Error): ", "").replaceFirst("^Assumption failed: ", "");
          }
          String name = shortClass(testcase.getAttribute("classname")) + "." + testcase.getAttribute("name");
          skipped.add(module + ": " + name + " - " + (reason.isBlank() ? "(no reason given)" : reason.strip().replaceAll("\\s+", " ")));
        }
      }
    } catch (Exception e) {
      skipped.add(report + ": unreadable report (" + e.getMessage() + ")");
    }
  }

  private static String shortClass(String name) {
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
