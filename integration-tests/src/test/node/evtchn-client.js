#!/usr/bin/env node
// evtchn-client.js: a gRPC client of hvsim's control plane that is not Java and has no stubs. It asks
// the host's server reflection (grpc.reflection.v1) which services it serves and for the
// FileDescriptorProtos that define them, builds the service definitions from those at run time, and
// calls hvsim.control.v1.EventChannelService: ListEventChannels of domain 0 and of a guest,
// GetEventChannelStatus of one of the guest's ports, and WatchEventChannels for a bounded time. It prints
// one JSON object on stdout (NodeReflectionClientIT asserts on it); on an error it prints what it had,
// with "error", and exits 1.
//
// By hand, with a host running:
//   cd integration-tests/src/test/node && npm ci
//   node evtchn-client.js --guest my-guest --watch-ms 2000    # socket: $HVSIM_HOME/control.sock
// Options: --socket PATH (the control socket), --guest NAME|DOMID, --port N (the port whose status to
// get; default the guest's first interdomain port), --watch-ms N (0: no watch), --deadline-ms N (each call).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');
const descriptor = require('protobufjs/ext/descriptor');

const EVTCHN_SERVICE = 'hvsim.control.v1.EventChannelService';
const HOST_SERVICE = 'hvsim.control.v1.HostService';
const DOMAIN_SERVICE = 'hvsim.control.v1.DomainService';

// Field names as in the .proto files, 64-bit numbers as decimal strings (JSON has no uint64), enums by
// name, and fields at their default value present (a remote_domid of 0 is dom0, not "absent").
const LOAD_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

function options() {
  const { values } = parseArgs({
    options: {
      socket: { type: 'string' },
      guest: { type: 'string' },
      port: { type: 'string' },
      'watch-ms': { type: 'string', default: '2000' },
      'deadline-ms': { type: 'string', default: '10000' },
    },
  });
  const home = process.env.HVSIM_HOME || path.join(os.homedir(), '.hvsim');
  return {
    socket: values.socket || path.join(home, 'control.sock'),
    guest: values.guest,
    port: values.port === undefined ? undefined : Number(values.port),
    watchMs: Number(values['watch-ms']),
    deadlineMs: Number(values['deadline-ms']),
  };
}

/** One ServerReflectionInfo stream: each request is answered by one response, in order. */
class Reflection {
  constructor(target, deadlineMs) {
    const definition = protoLoader.loadSync(path.join(__dirname, 'reflection.proto'), LOAD_OPTIONS);
    const Client = grpc.makeClientConstructor(definition['grpc.reflection.v1.ServerReflection'],
      'ServerReflection');
    this.client = new Client(target, grpc.credentials.createInsecure());
    this.deadlineMs = deadlineMs;
    this.waiting = [];
    this.failure = null;
    this.stream = this.client.ServerReflectionInfo({ deadline: Date.now() + 4 * deadlineMs });
    this.stream.on('data', (response) => this.waiting.shift()?.resolve(response));
    this.stream.on('error', (e) => this.fail(e));
    this.stream.on('end', () => this.fail(new Error('the reflection stream ended')));
  }

  fail(e) {
    this.failure = e;
    for (const w of this.waiting.splice(0)) {
      w.reject(e);
    }
  }

  ask(request) {
    if (this.failure) {
      return Promise.reject(this.failure);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.stream.write(request);
    }).then((response) => {
      if (response.message_response === 'error_response') {
        const e = response.error_response;
        throw new Error(`reflection refused ${JSON.stringify(request)}: ${e.error_code} ${e.error_message}`);
      }
      return response;
    });
  }

  async services() {
    const response = await this.ask({ list_services: '*' });
    return response.list_services_response.service.map((s) => s.name);
  }

  /**
   * The files that define `symbols`, with every file they import, as serialized FileDescriptorProtos by
   * file name. The server may send a file's imports along with it; any it did not send are asked for.
   */
  async files(symbols) {
    const files = new Map();
    const add = (response) => {
      for (const bytes of response.file_descriptor_response.file_descriptor_proto) {
        const file = descriptor.FileDescriptorProto.decode(bytes);
        files.set(file.name, { bytes, dependency: file.dependency });
      }
    };
    for (const symbol of symbols) {
      add(await this.ask({ file_containing_symbol: symbol }));
    }
    for (let missing = missingImports(files); missing.length > 0; missing = missingImports(files)) {
      for (const name of missing) {
        add(await this.ask({ file_by_filename: name }));
        if (!files.has(name)) {
          throw new Error(`reflection did not send ${name}`);
        }
      }
    }
    return files;
  }

  close() {
    this.stream.end();
    this.client.close();
  }
}

function missingImports(files) {
  const missing = new Set();
  for (const { dependency } of files.values()) {
    for (const name of dependency) {
      if (!files.has(name)) {
        missing.add(name);
      }
    }
  }
  return [...missing];
}

/** The package definition of `files`: a FileDescriptorSet (field 1: repeated FileDescriptorProto) loaded. */
function packageDefinition(files) {
  const set = protobuf.Writer.create();
  for (const { bytes } of files.values()) {
    set.uint32((1 << 3) | 2).bytes(bytes);
  }
  return protoLoader.loadFileDescriptorSetFromBuffer(Buffer.from(set.finish()), LOAD_OPTIONS);
}

/** A client of the service `fullName` of `definition`. */
function serviceClient(definition, fullName, target) {
  const service = definition[fullName];
  if (!service) {
    throw new Error(`the descriptors define no service ${fullName}`);
  }
  const Client = grpc.makeClientConstructor(service, fullName);
  return new Client(target, grpc.credentials.createInsecure());
}

function unary(client, method, request, deadlineMs) {
  return new Promise((resolve, reject) => {
    client[method](request, { deadline: Date.now() + deadlineMs }, (e, response) => {
      if (e) {
        reject(new Error(`${method}(${JSON.stringify(request)}): ${grpc.status[e.code]}: ${e.details}`));
      } else {
        resolve(response);
      }
    });
  });
}

/** WatchEventChannels for `ms` milliseconds, then cancelled; what it streamed, counted. */
function watch(client, request, ms) {
  return new Promise((resolve, reject) => {
    const seen = { ms, messages: 0, events: 0, dropped: 0, byKind: {}, byDomain: {}, byPort: {}, first: [] };
    const call = client.WatchEventChannels(request);
    let cancelled = false;
    const timer = setTimeout(() => {
      cancelled = true;
      call.cancel();
    }, ms);
    call.on('data', (response) => {
      seen.messages++;
      seen.dropped += Number(response.dropped);
      for (const event of response.events) {
        seen.events++;
        seen.byKind[event.kind] = (seen.byKind[event.kind] || 0) + 1;
        seen.byDomain[event.domid] = (seen.byDomain[event.domid] || 0) + 1;
        const port = `${event.domid}:${event.port}`;
        seen.byPort[port] = (seen.byPort[port] || 0) + 1;
        if (seen.first.length < 20) {
          seen.first.push(event);
        }
      }
    });
    call.on('error', (e) => {
      clearTimeout(timer);
      if (cancelled && e.code === grpc.status.CANCELLED) {
        resolve(seen);
      } else {
        reject(new Error(`WatchEventChannels(${JSON.stringify(request)}): ${grpc.status[e.code]}: ${e.details}`));
      }
    });
    call.on('end', () => {
      clearTimeout(timer);
      if (!cancelled) {
        reject(new Error('WatchEventChannels ended before it was cancelled'));
      }
    });
  });
}

async function run(opts, out) {
  const target = `unix:${path.resolve(opts.socket)}`;
  out.target = target;
  if (!fs.existsSync(opts.socket)) {
    throw new Error(`no control socket at ${opts.socket} (is a host running? set HVSIM_HOME or --socket)`);
  }
  const reflection = new Reflection(target, opts.deadlineMs);
  const clients = [];
  try {
    const services = await reflection.services();
    out.reflection = { services };
    const wanted = [HOST_SERVICE, DOMAIN_SERVICE, EVTCHN_SERVICE].filter((s) => services.includes(s));
    const files = await reflection.files(wanted);
    out.reflection.files = [...files.keys()].sort();
    const definition = packageDefinition(files);
    out.reflection.methods = Object.fromEntries(wanted.map((s) => [s, Object.keys(definition[s])]));

    const hostService = serviceClient(definition, HOST_SERVICE, target);
    const domainService = serviceClient(definition, DOMAIN_SERVICE, target);
    clients.push(hostService, domainService);
    out.host = await unary(hostService, 'GetHostInfo', {}, opts.deadlineMs);
    out.domains = (await unary(domainService, 'ListDomains', {}, opts.deadlineMs)).domains;

    if (!services.includes(EVTCHN_SERVICE)) {
      throw new Error(`the host does not serve ${EVTCHN_SERVICE}`);
    }
    const evtchn = serviceClient(definition, EVTCHN_SERVICE, target);
    clients.push(evtchn);
    out.dom0 = await unary(evtchn, 'ListEventChannels', { domain: '0' }, opts.deadlineMs);
    if (opts.guest !== undefined) {
      out.guest = await unary(evtchn, 'ListEventChannels', { domain: opts.guest }, opts.deadlineMs);
      const port = opts.port
        ?? out.guest.ports.find((p) => p.state === 'EVENT_CHANNEL_STATE_INTERDOMAIN')?.port;
      if (port !== undefined) {
        out.status = await unary(evtchn, 'GetEventChannelStatus', { domain: opts.guest, port }, opts.deadlineMs);
      }
    }
    if (opts.watchMs > 0) {
      const request = { domains: opts.guest === undefined ? [] : [opts.guest] };
      out.watch = await watch(evtchn, request, opts.watchMs);
    }
  } finally {
    reflection.close();
    for (const c of clients) {
      c.close();
    }
  }
}

async function main() {
  const out = {};
  let code = 0;
  try {
    await run(options(), out);
  } catch (e) {
    out.error = e.message;
    process.stderr.write(`evtchn-client: ${e.message}\n`);
    code = 1;
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`, () => process.exit(code));
}

main();
