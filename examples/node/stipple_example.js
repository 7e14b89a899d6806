#!/usr/bin/env node
// A Node.js service calling Stipple: lists the models, generates with a preview at every step
// (each written to a file), cancels one generation by its stream and another with CancelJob,
// and sends a bearer token when given one.
//
//   npm ci && node stipple_example.js --target 127.0.0.1:7860 [--token-file FILE] [--out DIR]
//       [--model stipple-demo-shapes.safetensors] [--prompt TEXT]
//
// Prints a line per step of what it did; exits non-zero when a call fails unexpectedly.
'use strict';

const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

function parseArgs(argv) {
  const args = { target: '127.0.0.1:7860', out: 'out-node', model: 'stipple-demo-shapes.safetensors',
    prompt: 'a red circle on a blue background', tokenFile: null };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in args)) throw new Error(`unknown option ${argv[i]}`);
    args[key] = argv[i + 1];
  }
  return args;
}

const args = parseArgs(process.argv);
const protoDir = path.resolve(__dirname, '../../proto/src/main/proto');
const definition = protoLoader.loadSync(path.join(protoDir, 'stipple/v1/stipple.proto'),
  { includeDirs: [protoDir], keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
const stipple = grpc.loadPackageDefinition(definition).stipple.v1;

const metadata = new grpc.Metadata();
if (args.tokenFile) {
  metadata.set('authorization', 'Bearer ' + fs.readFileSync(args.tokenFile, 'utf8').split('\n')[0].trim());
}
const client = new stipple.Stipple(args.target, grpc.credentials.createInsecure(),
  { 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
fs.mkdirSync(args.out, { recursive: true });

function request(steps, extra = {}) {
  return Object.assign({ model: { checkpoint: args.model }, prompt: args.prompt, negative_prompt: '', steps, cfg: 6,
    seed: 42, sampler: 'euler', scheduler: 'normal', preview: { every_n_steps: 1, format: 'IMAGE_FORMAT_PNG' } }, extra);
}

function listModels() {
  return new Promise((resolve, reject) => client.ListModels({}, metadata, (err, res) => err ? reject(err) : resolve(res)));
}

/** Streams a generation; previews and images go to files. Resolves with how it ended. */
function generate(name, req, onEvent = () => {}) {
  return new Promise((resolve) => {
    const call = client.Generate(req, metadata);
    const files = [];
    call.on('data', (event) => {
      if (event.preview) {
        const file = path.join(args.out, `${name}-preview-${String(event.preview.step).padStart(2, '0')}.png`);
        fs.writeFileSync(file, event.preview.data);
        files.push(file);
      } else if (event.image) {
        const file = path.join(args.out, `${name}-${event.image.index}.png`);
        fs.writeFileSync(file, event.image.png);
        files.push(file);
      }
      onEvent(event, call);
    });
    call.on('error', (err) => resolve({ status: grpc.status[err.code], details: err.details, files }));
    call.on('end', () => resolve({ status: 'OK', files }));
  });
}

async function main() {
  const models = await listModels();
  console.log(`models: ${models.checkpoints.map((m) => m.name).join(', ')}`);

  const done = await generate('picture', request(8));
  console.log(`generated: ${done.status}, ${done.files.length} files (previews and the image) in ${args.out}`);
  if (done.status !== 'OK') throw new Error(`generation failed: ${done.details}`);

  const byStream = await generate('cancelled', request(200), (event, call) => {
    if (event.progress && event.progress.step === 2) call.cancel();
  });
  console.log(`cancelled by the stream: ${byStream.status}`);

  let jobId = null;
  const byJob = await generate('cancel-job', request(200), (event) => {
    if (event.queued) jobId = event.queued.job_id;
    if (event.progress && event.progress.step === 2 && jobId) {
      const id = jobId;
      jobId = null; // once
      client.CancelJob({ job_id: id }, metadata, (err, res) => {
        if (err) console.log(`CancelJob failed: ${err.details}`);
        else console.log(`CancelJob ${id}: was ${res.state}`);
      });
    }
  });
  console.log(`cancelled by CancelJob: ${byJob.status} ${byJob.details}`);
  client.close();
}

main().catch((err) => {
  console.error(`stipple_example.js: ${err.details || err.message}`);
  process.exit(1);
});
