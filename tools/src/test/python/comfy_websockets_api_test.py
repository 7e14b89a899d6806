#!/usr/bin/env python3
"""A ComfyUI API client written the way ComfyUI's script_examples/websockets_api_example.py is
(websocket-client and urllib, nothing of Stipple's), run by ComfyPythonClientIT against a real
server's --comfy-port:
    comfy_websockets_api_test.py --server 127.0.0.1:PORT --manifest testdata/golden/demo-model/e2e/manifest.json
Queues the demo model's ComfyUI prompt, follows it on the websocket to the end, then fetches its
image through /history and /view. Exits 0 when every check passes; prints what it checked.
"""
import argparse
import json
import struct
import urllib.error
import urllib.parse
import urllib.request
import uuid

import websocket  # websocket-client (Debian's python3-websocket)

parser = argparse.ArgumentParser()
parser.add_argument("--server", required=True)
parser.add_argument("--manifest", required=True)
args = parser.parse_args()

server_address = args.server
client_id = str(uuid.uuid4())
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


# --- as in ComfyUI's example -----------------------------------------------------------------
def queue_prompt(prompt):
    p = {"prompt": prompt, "client_id": client_id}
    data = json.dumps(p).encode("utf-8")
    req = urllib.request.Request("http://{}/prompt".format(server_address), data=data)
    return json.loads(urllib.request.urlopen(req).read())


def get_image(filename, subfolder, folder_type):
    data = {"filename": filename, "subfolder": subfolder, "type": folder_type}
    url_values = urllib.parse.urlencode(data)
    with urllib.request.urlopen("http://{}/view?{}".format(server_address, url_values)) as response:
        return response.read()


def get_history(prompt_id):
    with urllib.request.urlopen("http://{}/history/{}".format(server_address, prompt_id)) as response:
        return json.loads(response.read())


def get_images(ws, prompt, seen):
    prompt_id = queue_prompt(prompt)["prompt_id"]
    output_images = {}
    while True:
        out = ws.recv()
        if isinstance(out, str):
            message = json.loads(out)
            seen.append(message)
            if message["type"] == "executing":
                data = message["data"]
                if data["node"] is None and data["prompt_id"] == prompt_id:
                    break  # Execution is done
        else:
            seen.append(out)  # previews are binary
            continue

    history = get_history(prompt_id)[prompt_id]
    for node_id in history["outputs"]:
        node_output = history["outputs"][node_id]
        images_output = []
        if "images" in node_output:
            for image in node_output["images"]:
                image_data = get_image(image["filename"], image["subfolder"], image["type"])
                images_output.append(image_data)
        output_images[node_id] = images_output

    return prompt_id, output_images


# --- the demo model's prompt, unchanged but for where its checkpoint lies -----------------------
with open(args.manifest) as f:
    prompt = json.load(f)["cases"][0]["comfyui_api_prompt"]
prompt["1"]["inputs"]["ckpt_name"] = "stipple-demo-shapes.safetensors"

ws = websocket.WebSocket()
ws.connect("ws://{}/ws?clientId={}".format(server_address, client_id))
seen = []
prompt_id, images = get_images(ws, prompt, seen)
ws.close()

types = [m["type"] for m in seen if isinstance(m, dict)]
check("status" in types, "the websocket sends the queue's status")
check("execution_start" in types, "execution_start")
progress = [m["data"] for m in seen if isinstance(m, dict) and m["type"] == "progress"]
check(len(progress) == prompt["5"]["inputs"]["steps"] and progress[-1]["value"] == progress[-1]["max"],
      "a progress message per step, up to max: %d" % len(progress))
check("executed" in types and "execution_success" in types, "executed and execution_success")
previews = [m for m in seen if isinstance(m, bytes)]
check(len(previews) > 0 and struct.unpack(">II", previews[0][:8]) == (1, 1) and previews[0][8:10] == b"\xff\xd8",
      "binary preview frames: type 1, format 1, a JPEG")
check(list(images) == ["7"] and len(images["7"]) == 1, "SaveImage's one image in the history: %s" % list(images))
png = images["7"][0] if images.get("7") else b""
check(png[:8] == b"\x89PNG\r\n\x1a\n", "/view gives the PNG")
check(b"tEXtprompt" in png, "the PNG carries its prompt, as ComfyUI's do")

# a graph that cannot run: HTTP 400 with ComfyUI's error and node_errors
bad = json.loads(json.dumps(prompt))
bad["5"]["inputs"]["sampler_name"] = "no_such_sampler"
try:
    queue_prompt(bad)
    check(False, "an invalid graph is refused")
except urllib.error.HTTPError as e:
    body = json.loads(e.read())
    check(e.code == 400 and "5" in body["node_errors"] and body["error"]["type"] == "prompt_outputs_failed_validation",
          "an invalid graph is HTTP 400 with node_errors: %s" % body["error"]["message"])

print("%d failure(s)" % len(failures))
raise SystemExit(1 if failures else 0)
