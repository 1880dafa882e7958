# The real AWS CLI (v1, the awscli Python package), started once and forked for every call.
#
# A call of `aws` costs about half a second of CPU, most of it Python importing awscli and botocore;
# the tests' scripts make a few hundred calls. This server imports the CLI once, then forks a child
# per call that runs awscli.clidriver.main() as bin/aws does, with the caller's arguments, working
# folder, environment and stdin/stdout/stderr (passed over a Unix socket), and sends back its exit
# code. The `aws` it writes into BIN_DIR is a tiny client that forwards to it; `python3` there is
# this interpreter, the one `python3` on the PATH resolved to (without a version manager's shim).
#
# A forked call still spends most of its CPU reading botocore's data files (listing some 400 service
# folders, decompressing and parsing the service models, endpoints and partitions), which never change
# while the tests run: the server reads those of the SERVICEs it is started with once, and each call unpickles its own copy
# (so what one call changes in a model never reaches the next); calls of other services read theirs.
# With the collector kept off what the server holds (gc.freeze), a call costs about a third of what
# it did.
#
# Usage: python3 aws-cli-zygote.py SOCKET BIN_DIR [SERVICE...]. Prints "ready" once serving; ends when
# its stdin closes (the test JVM ended) or on SIGTERM.
import gc
import json
import os
import pickle
import signal
import socket
import struct
import sys
import threading
import traceback
import types

ENVIRONMENT_BEFORE_IMPORTS = dict(os.environ)
import awscli  # noqa: E402 (sets AWS_DATA_PATH when imported: replayed per call below)
import awscli.clidriver  # noqa: E402
import botocore.exceptions  # noqa: E402
import botocore.hooks  # noqa: E402
import botocore.loaders  # noqa: E402

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


def cache_data_files():
    """From now on botocore reads each data file, and lists the services, once; each caller gets a fresh copy."""
    loader, files = botocore.loaders.JSONFileLoader, {}
    load_file, exists = loader.load_file, loader.exists

    def cached_load_file(self, file_path):
        if file_path not in files:
            files[file_path] = pickle.dumps(load_file(self, file_path), pickle.HIGHEST_PROTOCOL)
        return pickle.loads(files[file_path])

    found = {}

    def cached_exists(self, file_path):
        if file_path not in found:
            found[file_path] = exists(self, file_path)
        return found[file_path]

    list_services, services = botocore.loaders.Loader.list_available_services, {}

    def cached_list_services(self, type_name):
        key = (tuple(self.search_paths), type_name)
        if key not in services:
            services[key] = list_services(self, type_name)
        return list(services[key])

    loader.load_file, loader.exists = cached_load_file, cached_exists
    botocore.loaders.Loader.list_available_services = cached_list_services

    # Every call registers some 400 event handlers, each checked for **kwargs through inspect: the same
    # functions every time. Kept by the function itself (a bound method by its function), never by id.
    accepts_kwargs, signatures = botocore.hooks.accepts_kwargs, {}

    def cached_accepts_kwargs(func):
        key = getattr(func, "__func__", func) if isinstance(func, (types.FunctionType, types.MethodType)) else None
        if key is None:
            return accepts_kwargs(func)
        if key not in signatures:
            signatures[key] = accepts_kwargs(func)
        return signatures[key]

    botocore.hooks.accepts_kwargs = cached_accepts_kwargs


def warm_up(service_names):
    """Imports and reads what a call of these services would, so forked calls find it done."""
    driver = awscli.clidriver.create_clidriver()
    driver._get_command_table()
    session = driver.session
    for name in service_names:
        if name not in session.get_available_services():
            continue  # another CLI version: its calls read their own files
        for type_name in ("service-2", "paginators-1", "waiters-2"):
            try:
                session.get_component("data_loader").load_service_model(name, type_name)
            except botocore.exceptions.DataNotFoundError:
                pass
        # Dummy keys and a region: creating the client reads endpoints, partitions and rules, and no credentials.
        session.create_client(name, region_name="us-east-1", aws_access_key_id="warm-up",
                              aws_secret_access_key="warm-up")


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
    path, bin_dir, service_names = sys.argv[1], sys.argv[2], sys.argv[3:]
    cache_data_files()
    # What a first call imports lazily (the command table, the customizations), imported once here.
    warm_up(service_names)
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
    # What the server holds is never garbage: a forked call's collector would walk (and, by counting
    # references, copy) all of it, which costs a call more CPU than the CLI's own work.
    gc.freeze()
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
