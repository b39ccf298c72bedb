package io.edgeloop.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Searches what a stack left behind for known secret values, and, so that the search is not blind,
 * for known values that must be there (markers: a run id, a plain variable). Bytes are searched as
 * they are and, where they are a gzip stream or a tar archive (image layers, layer caches), inside:
 * every entry's name and content. Each place is named by the caller ({@code kafka edgeloop.run-requested/0@3},
 * {@code file logs/edgeloop.log}), and its kind is the name's first word.
 */
final class LeakSearch {
  private final Map<String, String> secrets;
  private final Map<String, String> markers;
  private final List<String> leaks = new ArrayList<>();
  private final Map<String, Set<String>> markersFound = new LinkedHashMap<>();
  private final Map<String, Integer> searched = new LinkedHashMap<>();

  /**
   * @param secrets what must be found nowhere, by a name to report (never the value itself)
   * @param markers what is known to be in some places, by name
   */
  LeakSearch(Map<String, String> secrets, Map<String, String> markers) {
    this.secrets = Map.copyOf(secrets);
    this.markers = Map.copyOf(markers);
  }

  /** Searches {@code bytes} (and inside them, when they are gzip or tar) as {@code place}. */
  void search(String place, byte[] bytes) throws IOException {
    searched.merge(kind(place), 1, Integer::sum);
    searchText(place, new String(bytes, StandardCharsets.ISO_8859_1));
    if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      byte[] inflated;
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        inflated = in.readAllBytes();
      } catch (IOException e) {
        return; // a file that only starts like gzip: searched as it is
      }
      search(place + "!gunzip", inflated);
    } else if (isTar(bytes)) {
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(bytes))) {
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
          searchText(place + "!" + entry.getName(), entry.getName() + "\n" + entry.getLinkName());
          if (entry.isFile()) {
            search(place + "!" + entry.getName(), tar.readAllBytes());
          }
        }
      }
    }
  }

  void search(String place, String text) throws IOException {
    search(place, text.getBytes(StandardCharsets.UTF_8));
  }

  private void searchText(String place, String text) {
    secrets.forEach((name, value) -> {
      if (text.contains(value)) {
        leaks.add(name + " in " + place);
      }
    });
    markers.forEach((name, value) -> {
      if (text.contains(value)) {
        markersFound.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(place);
      }
    });
  }

  private static boolean isTar(byte[] bytes) {
    return bytes.length >= 512 && new String(bytes, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
  }

  private static String kind(String place) {
    int space = place.indexOf(' ');
    return space < 0 ? place : place.substring(0, space);
  }

  /** Where secrets were found: "{secret name} in {place}". */
  List<String> leaks() {
    return List.copyOf(leaks);
  }

  /** The places (whole names) where the marker {@code name} was found. */
  Set<String> placesOf(String name) {
    return markersFound.getOrDefault(name, Set.of());
  }

  /** How many places of each kind were searched (the report's figures). */
  Map<String, Integer> searched() {
    return Map.copyOf(searched);
  }
}
