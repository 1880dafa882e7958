package dev.trailtrim.io;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}) without its shell commands. Without Hadoop's native
 * library (absent here, and wherever the job runs locally), {@link RawLocalFileSystem} runs
 * {@code chmod} for every file and folder it creates and {@code ls -ld} for the permission of
 * every listed file: about 80 processes per run of the sample, a fifth of its CPU. This one
 * reads and sets the same modes through {@code java.nio.file}; everything else, checksum files
 * included, is Hadoop's. S3 paths never come here. Where the JDK has no {@code unix} attribute
 * view, and for the sticky bit (which {@code java.nio.file} cannot set), Hadoop's own way is used.
 */
public final class NioLocalFileSystem extends LocalFileSystem {

  /** The Hadoop setting that makes {@code file:} paths use this class. */
  public static final String HADOOP_KEY = "fs.file.impl";

  private static final boolean UNIX_VIEW = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** The raw file system under the checksums. */
  static final class Raw extends RawLocalFileSystem {

    @Override
    public void setPermission(Path path, FsPermission permission) throws IOException {
      if (!UNIX_VIEW || permission.getStickyBit()) {
        super.setPermission(path, permission);
        return;
      }
      Files.setPosixFilePermissions(pathToFile(path).toPath(), posix(permission));
    }

    @Override
    public FileStatus getFileStatus(Path path) throws IOException {
      return UNIX_VIEW ? new NioFileStatus(super.getFileStatus(path), this) : super.getFileStatus(path);
    }

    @Override
    public FileStatus[] listStatus(Path path) throws IOException {
      FileStatus[] listed = super.listStatus(path);
      if (UNIX_VIEW) {
        for (int i = 0; i < listed.length; i++) {
          listed[i] = new NioFileStatus(listed[i], this);
        }
      }
      return listed;
    }
  }

  private static Set<PosixFilePermission> posix(FsPermission permission) {
    return PosixFilePermissions.fromString(permission.getUserAction().SYMBOL + permission.getGroupAction().SYMBOL
        + permission.getOtherAction().SYMBOL);
  }

  /**
   * A listed file's status whose permission, owner and group are read on first use, as Hadoop's
   * own local status reads them (with {@code ls -ld}, which gives a link's target's).
   */
  static final class NioFileStatus extends FileStatus {

    private static final long serialVersionUID = 1L;

    private final transient Raw fs;
    private boolean loaded;

    /** Copies everything from {@code listed} but what it would run {@code ls -ld} for. */
    NioFileStatus(FileStatus listed, Raw fs) throws IOException {
      super(listed.getLen(), listed.isDirectory(), listed.getReplication(), listed.getBlockSize(),
          listed.getModificationTime(), listed.getAccessTime(), null, null, null,
          listed.isSymlink() ? listed.getSymlink() : null, listed.getPath());
      this.fs = fs;
    }

    @Override
    public FsPermission getPermission() {
      load();
      return super.getPermission();
    }

    @Override
    public String getOwner() {
      load();
      return super.getOwner();
    }

    @Override
    public String getGroup() {
      load();
      return super.getGroup();
    }

    private synchronized void load() {
      if (loaded) {
        return;
      }
      java.nio.file.Path file = fs.pathToFile(getPath()).toPath();
      try {
        Map<String, Object> attributes = Files.readAttributes(file, "unix:mode,owner,group");
        setPermission(new FsPermission((short) ((Integer) attributes.get("mode") & 01777)));
        setOwner(((UserPrincipal) attributes.get("owner")).getName());
        setGroup(((UserPrincipal) attributes.get("group")).getName());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the permission of " + file, e);
      }
      loaded = true;
    }

    /** Serialized as a plain status with everything read, as Hadoop's own local status is. */
    private Object writeReplace() throws ObjectStreamException {
      try {
        return new FileStatus(this);
      } catch (IOException e) {
        throw new InvalidObjectException("Cannot copy the status of " + getPath() + ": " + e);
      }
    }

    @Override
    public boolean equals(Object other) {
      return super.equals(other);
    }

    @Override
    public int hashCode() {
      return super.hashCode();
    }
  }
}
