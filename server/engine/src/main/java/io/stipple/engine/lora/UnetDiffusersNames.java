package io.stipple.engine.lora;

import io.stipple.engine.model.unet.UnetConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The diffusers name of every UNet weight ({@code down_blocks.0.attentions.0.proj_in.weight}) and
 * its name in the original (LDM) layout ({@code input_blocks.1.1.proj_in.weight}), for a detected
 * {@link UnetConfig}: a port of ComfyUI's {@code comfy.utils.unet_to_diffusers}, which kohya and
 * diffusers LoRAs for SD1.x and SDXL are named after.
 */
public final class UnetDiffusersNames {
    private static final List<String> ATTENTIONS = List.of(
            "proj_in.weight", "proj_in.bias", "proj_out.weight", "proj_out.bias", "norm.weight", "norm.bias");

    private static final List<String> TRANSFORMER_BLOCK = List.of(
            "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias", "norm3.weight", "norm3.bias",
            "attn1.to_q.weight", "attn1.to_k.weight", "attn1.to_v.weight", "attn1.to_out.0.weight", "attn1.to_out.0.bias",
            "attn2.to_q.weight", "attn2.to_k.weight", "attn2.to_v.weight", "attn2.to_out.0.weight", "attn2.to_out.0.bias",
            "ff.net.0.proj.weight", "ff.net.0.proj.bias", "ff.net.2.weight", "ff.net.2.bias");

    /** LDM ResBlock name -> diffusers ResnetBlock2D name. */
    private static final Map<String, String> RESNET = orderedMap(
            "in_layers.2.weight", "conv1.weight", "in_layers.2.bias", "conv1.bias",
            "emb_layers.1.weight", "time_emb_proj.weight", "emb_layers.1.bias", "time_emb_proj.bias",
            "out_layers.3.weight", "conv2.weight", "out_layers.3.bias", "conv2.bias",
            "skip_connection.weight", "conv_shortcut.weight", "skip_connection.bias", "conv_shortcut.bias",
            "in_layers.0.weight", "norm1.weight", "in_layers.0.bias", "norm1.bias",
            "out_layers.0.weight", "norm2.weight", "out_layers.0.bias", "norm2.bias");

    /** diffusers name -> LDM name of the weights outside the blocks (SD1's class_embedding and SDXL's add_embedding are both label_emb). */
    private static final Map<String, String> BASIC = orderedMap(
            "class_embedding.linear_1.weight", "label_emb.0.0.weight", "class_embedding.linear_1.bias", "label_emb.0.0.bias",
            "class_embedding.linear_2.weight", "label_emb.0.2.weight", "class_embedding.linear_2.bias", "label_emb.0.2.bias",
            "add_embedding.linear_1.weight", "label_emb.0.0.weight", "add_embedding.linear_1.bias", "label_emb.0.0.bias",
            "add_embedding.linear_2.weight", "label_emb.0.2.weight", "add_embedding.linear_2.bias", "label_emb.0.2.bias",
            "conv_in.weight", "input_blocks.0.0.weight", "conv_in.bias", "input_blocks.0.0.bias",
            "conv_norm_out.weight", "out.0.weight", "conv_norm_out.bias", "out.0.bias",
            "conv_out.weight", "out.2.weight", "conv_out.bias", "out.2.bias",
            "time_embedding.linear_1.weight", "time_embed.0.weight", "time_embedding.linear_1.bias", "time_embed.0.bias",
            "time_embedding.linear_2.weight", "time_embed.2.weight", "time_embedding.linear_2.bias", "time_embed.2.bias");

    private UnetDiffusersNames() {}

    /** diffusers name -> LDM name (both without the model's prefix), in ComfyUI's order. */
    public static Map<String, String> of(UnetConfig config) {
        Map<String, String> map = new LinkedHashMap<>();
        int[] numRes = config.numResBlocks();
        int levels = config.levels();
        int depthIndex = 0;
        for (int x = 0; x < levels; x++) {
            int n = 1 + (numRes[x] + 1) * x;
            for (int i = 0; i < numRes[x]; i++) {
                String down = "down_blocks." + x;
                for (var r : RESNET.entrySet()) {
                    map.put(down + ".resnets." + i + "." + r.getValue(), "input_blocks." + n + ".0." + r.getKey());
                }
                int transformers = config.transformerDepth()[depthIndex++];
                if (transformers > 0) {
                    attention(map, down + ".attentions." + i, "input_blocks." + n + ".1", transformers);
                }
                n++;
            }
            for (String k : List.of("weight", "bias")) {
                map.put("down_blocks." + x + ".downsamplers.0.conv." + k, "input_blocks." + n + ".0.op." + k);
            }
        }

        attention(map, "mid_block.attentions.0", "middle_block.1", config.transformerDepthMiddle());
        int[] midResnets = {0, 2};
        for (int i = 0; i < midResnets.length; i++) {
            for (var r : RESNET.entrySet()) {
                map.put("mid_block.resnets." + i + "." + r.getValue(), "middle_block." + midResnets[i] + "." + r.getKey());
            }
        }

        // the output depths are listed from the last output block back: ComfyUI pops them from the end
        int[] depthOut = config.transformerDepthOutput();
        int nextDepth = depthOut.length - 1;
        for (int x = 0; x < levels; x++) {
            int resnets = numRes[levels - 1 - x] + 1;
            int n = resnets * x;
            for (int i = 0; i < resnets; i++) {
                int c = 0;
                for (var r : RESNET.entrySet()) {
                    map.put("up_blocks." + x + ".resnets." + i + "." + r.getValue(), "output_blocks." + n + ".0." + r.getKey());
                }
                c++;
                int transformers = depthOut[nextDepth--];
                if (transformers > 0) {
                    c++;
                    attention(map, "up_blocks." + x + ".attentions." + i, "output_blocks." + n + ".1", transformers);
                }
                if (i == resnets - 1) {
                    for (String k : List.of("weight", "bias")) {
                        map.put("up_blocks." + x + ".upsamplers.0.conv." + k, "output_blocks." + n + "." + c + ".conv." + k);
                    }
                }
                n++;
            }
        }
        map.putAll(BASIC);
        return map;
    }

    /** A SpatialTransformer's own weights and its transformer blocks' (none for a negative depth). */
    private static void attention(Map<String, String> map, String diffusers, String ldm, int depth) {
        for (String b : ATTENTIONS) {
            map.put(diffusers + "." + b, ldm + "." + b);
        }
        for (int t = 0; t < depth; t++) {
            for (String b : TRANSFORMER_BLOCK) {
                map.put(diffusers + ".transformer_blocks." + t + "." + b, ldm + ".transformer_blocks." + t + "." + b);
            }
        }
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
