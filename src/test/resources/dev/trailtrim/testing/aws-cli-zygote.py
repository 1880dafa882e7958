# The real AWS CLI (v1, the awscli Python package), started once and forked for every call.
#
# A call of `aws` costs about half a second of CPU, most of it Python importing awscli and botocore;
# the tests' scripts make a few hundred calls. This server imports the CLI once, then forks a child
# per call that runs awscli.clidriver.main() as bin/aws does, with the caller's arguments, working
# folder, environment and stdin/stdout/stderr (passed over a Unix socket), and sends back its exit
# code. The `aws` it writes into BIN_DIR is a tiny client that forwards to it; `python3` there is
# this interpreter, the one `python3` on the PATH resolved to (without a version manager's shim).
#
# Usage: python3 aws-cli-zygote.py SOCKET BIN_DIR. Prints "ready" once serving; ends when its stdin
# closes (the test JVM ended) or on SIGTERM.
import json
import os
import signal
import socket
import struct
import sys
import threading
import traceback

ENVIRONMENT_BEFORE_IMPORTS = dict(os.environ)
import awscli  # noqa: E402 (sets AWS_DATA_PATH when imported: replayed per call below)
import awscli.clidriver  # noqa: E402

CLIENT = r'''#!%(python)s -S
# Forwards this call of the AWS CLI to the test JVM's CLI server (aws-cli-zygote.py).
import json, os, socket, struct, sys
connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
connection.connect(%(socket)r)
request = json.dumps({"args": sys.argv[1:], "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
socket.send_fds(connection, [struct.pack("!i", len(request)) + request], [0, 1, 2])
reply = b""
while len(reply) < 4:
    chunk = connection.recv(4 - len(reply))
    if not chunk:
        sys.stderr.write("aws (test CLI server): the call ended without an exit code\n")
        sys.exit(255)
    reply += chunk
sys.exit(struct.unpack("!i", reply)[0])
'''


def receive(connection):
    header, fds, _, _ = socket.recv_fds(connection, 4, 3)
    while len(header) < 4:
        header += connection.recv(4 - len(header))
    size = struct.unpack("!i", header)[0]
    body = b""
    while len(body) < size:
        chunk = connection.recv(size - len(body))
        if not chunk:
            raise EOFError("the client hung up")
        body += chunk
    return json.loads(body), fds


def run_call(connection):
    """In the forked child: becomes the caller's `aws` process, runs the CLI, reports its exit code."""
    request, fds = receive(connection)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    if os.environ.get("LC_CTYPE", "") == "UTF-8":  # as bin/aws does
        os.environ["LC_CTYPE"] = "en_US.UTF-8"
    # As awscli/__init__.py does on import: the caller's data path, then awscli's own data.
    data_path = [os.path.expanduser(os.path.expandvars(path))
                 for path in os.environ.get("AWS_DATA_PATH", "").split(os.pathsep) if "AWS_DATA_PATH" in os.environ]
    data_path.append(os.path.join(os.path.dirname(os.path.abspath(awscli.__file__)), "data"))
    os.environ["AWS_DATA_PATH"] = os.pathsep.join(data_path)
    sys.argv = ["aws"] + request["args"]
    try:
        code = awscli.clidriver.main()
    except SystemExit as exit:
        code = exit.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        sys.stderr.write("%s\n" % code)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    connection.sendall(struct.pack("!i", code))


def reap(*_):
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def exit_when_stdin_closes():
    # The raw descriptor, not sys.stdin: a fork while this thread held sys.stdin's lock would leave
    # a child's sys.stdin locked for good.
    while os.read(0, 4096):
        pass
    os._exit(0)


def main():
    path, bin_dir = sys.argv[1], sys.argv[2]
    # What a first call imports lazily (the command table, the customizations), imported once here.
    awscli.clidriver.create_clidriver()._get_command_table()
    changed = sorted(name for name in set(ENVIRONMENT_BEFORE_IMPORTS) | set(os.environ)
                     if name != "AWS_DATA_PATH" and ENVIRONMENT_BEFORE_IMPORTS.get(name) != os.environ.get(name))
    if changed:
        # A call would not see what importing set: this CLI cannot be forked faithfully.
        print("importing awscli changed the environment beyond AWS_DATA_PATH: %s" % changed, flush=True)
        sys.exit(1)
    client = os.path.join(bin_dir, "aws")
    with open(client, "w") as out:
        out.write(CLIENT % {"python": sys.executable, "socket": path})
    os.chmod(client, 0o755)
    python = os.path.join(bin_dir, "python3")
    if not os.path.exists(python):
        os.symlink(sys.executable, python)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(64)
    signal.signal(signal.SIGCHLD, reap)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    print("ready", flush=True)
    while True:
        connection, _ = server.accept()
        if os.fork() == 0:
            server.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            code = 1
            try:
                run_call(connection)
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        connection.close()


if __name__ == "__main__":
    main()
