package io.llmlog.server.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The dashboard's files, read once into memory (a few hundred KB): the app's own files from this
 * package's {@code app/} folder and the chart library from its WebJar. Requests are answered from
 * this fixed map, so no request path ever reaches the class loader or the file system.
 *
 * @param files by path under the build prefix: {@code main.js}, {@code pages/overview.js}, {@code
 *     vendor/uplot/uPlot.esm.js}
 * @param build a hash of every file: part of each asset's URL, so assets can be cached for good and
 *     a new build is fetched anew
 */
record Assets(Map<String, byte[]> files, String build) {
  static final String APP = "io/llmlog/server/ui/app";
  static final String INDEX = "index.html";
  private static final String UPLOT = "META-INF/resources/webjars/uplot/";
  private static final List<String> UPLOT_FILES = List.of("uPlot.esm.js", "uPlot.min.css");

  Assets {
    files = Map.copyOf(files);
  }

  static Assets load() {
    Map<String, byte[]> files = new TreeMap<>();
    readApp(files);
    String version = uplotVersion();
    for (String name : UPLOT_FILES) {
      files.put("vendor/uplot/" + name, resource(UPLOT + version + "/dist/" + name));
    }
    if (!files.containsKey(INDEX)) {
      throw new IllegalStateException(
          "the dashboard's " + INDEX + " is missing from the classpath");
    }
    return new Assets(files, hash(files));
  }

  /**
   * Walks the app folder wherever the classes came from: a folder in development and tests, the
   * server's jar when installed.
   */
  private static void readApp(Map<String, byte[]> files) {
    try {
      Path root = Path.of(Assets.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(root)) {
        collect(root.resolve(APP), files);
      } else {
        try (FileSystem jar = FileSystems.newFileSystem(root)) {
          collect(jar.getPath(APP), files);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the dashboard's files failed", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the dashboard's files", e);
    }
  }

  private static void collect(Path app, Map<String, byte[]> files) throws IOException {
    try (Stream<Path> paths = Files.walk(app)) {
      for (Path path : paths.filter(Files::isRegularFile).toList()) {
        String name = app.relativize(path).toString().replace('\\', '/');
        files.put(name, Files.readAllBytes(path));
      }
    }
  }

  private static String uplotVersion() {
    Properties properties = new Properties();
    try (InputStream in = stream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  private static byte[] resource(String name) {
    try (InputStream in = stream(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream stream(String name) {
    InputStream in = Assets.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(
          name
              + " is missing from the classpath (the uPlot WebJar is a dependency of llmlog-server)");
    }
    return in;
  }

  private static String hash(Map<String, byte[]> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      files.forEach(
          (name, bytes) -> {
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(bytes);
          });
      return HexFormat.of().formatHex(sha.digest(), 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
