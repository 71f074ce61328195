package io.llmlog.server.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The string constants of a class file, read from its constant pool (JVMS §4.4). ArchUnit shows
 * dependencies and calls but not the strings a class holds; an engine path such as {@code "/" +
 * index + "/_doc/"} lives there, either as a {@code CONSTANT_String} or as the recipe of a {@code
 * makeConcatWithConstants} call site, which is a {@code CONSTANT_String} too.
 */
final class ClassConstants {
  private ClassConstants() {}

  /** The string constants of an imported class. */
  static List<String> strings(JavaClass javaClass) {
    URI uri =
        javaClass
            .getSource()
            .orElseThrow(
                () -> new IllegalStateException("no class file for " + javaClass.getName()))
            .getUri();
    try (InputStream in = uri.toURL().openStream()) {
      return strings(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + uri, e);
    }
  }

  /** The string constants of a class file. */
  static List<String> strings(InputStream classFile) throws IOException {
    DataInputStream in = new DataInputStream(classFile);
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor version
    in.readUnsignedShort(); // major version
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    List<Integer> stringIndexes = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 ->
            utf8[i] =
                in.readUTF(); // Utf8: u2 length and modified UTF-8, which is what readUTF reads
        case 8 -> stringIndexes.add(in.readUnsignedShort()); // String
        case 7, 16, 19, 20 -> in.readUnsignedShort(); // Class, MethodType, Module, Package
        case 15 -> in.skipNBytes(3); // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 ->
            in.skipNBytes(4); // Integer, Float, refs, NameAndType, Dynamic, InvokeDynamic
        case 5, 6 -> { // Long and Double take two entries
          in.skipNBytes(8);
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    List<String> strings = new ArrayList<>(stringIndexes.size());
    for (int index : stringIndexes) {
      strings.add(utf8[index]);
    }
    return strings;
  }
}
