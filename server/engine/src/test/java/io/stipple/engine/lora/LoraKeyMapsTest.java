package io.stipple.engine.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.LoraKeyMap.Component;
import io.stipple.plugin.api.LoraKeyMap.Slice;
import io.stipple.plugin.api.LoraKeyMap.Target;
import io.stipple.tensor.cpu.CpuOps;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ComfyUI's LoRA key names for the tiny SD1.5 and SDXL checkpoints. */
class LoraKeyMapsTest {
    private static final String U = "model.diffusion_model.";

    @Test
    void sd15() {
        try (var model = new LoraTesting("models/sd15_tiny.safetensors", new CpuOps())) {
            LoraKeyMap map = model.loader.keyMap();
            unet(map, U + "input_blocks.1.1.proj_in.weight", "lora_unet_down_blocks_0_attentions_0_proj_in",
                    "lora_unet_input_blocks_1_1_proj_in", "diffusion_model.input_blocks.1.1.proj_in",
                    "lycoris_down_blocks_0_attentions_0_proj_in", "down_blocks.0.attentions.0.proj_in", "unet.down_blocks.0.attentions.0.proj_in");
            unet(map, U + "output_blocks.3.1.transformer_blocks.0.attn1.to_out.0.weight",
                    "unet.up_blocks.1.attentions.1.transformer_blocks.0.attn1.processor.to_out",
                    "lora_unet_up_blocks_1_attentions_1_transformer_blocks_0_attn1_to_out_0");
            unet(map, U + "input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight",
                    "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.processor.to_q");
            unet(map, U + "output_blocks.1.2.conv.weight", "lora_unet_up_blocks_0_upsamplers_0_conv");
            unet(map, U + "input_blocks.2.0.op.weight", "lora_unet_down_blocks_0_downsamplers_0_conv");
            unet(map, U + "middle_block.2.in_layers.2.weight", "lora_unet_mid_block_resnets_1_conv1");
            unet(map, U + "input_blocks.3.0.skip_connection.weight", "lora_unet_down_blocks_1_resnets_0_conv_shortcut");
            unet(map, U + "time_embed.2.weight", "lora_unet_time_embedding_linear_2");
            unet(map, U + "out.2.bias", "diffusion_model.out.2.bias");
            String clip = "cond_stage_model.transformer.text_model.";
            text(map, clip + "encoder.layers.2.mlp.fc2.weight", "lora_te_text_model_encoder_layers_2_mlp_fc2",
                    "lora_te1_text_model_encoder_layers_2_mlp_fc2", "text_encoder.text_model.encoder.layers.2.mlp.fc2",
                    "text_encoders.clip_l.transformer.text_model.encoder.layers.2.mlp.fc2");
            text(map, clip + "final_layer_norm.weight", "text_encoders.clip_l.transformer.text_model.final_layer_norm");
            // PEFT's attention names are not in ComfyUI's map, nor a second text encoder's
            absent(map, "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q", "lora_te2_text_model_encoder_layers_0_mlp_fc1",
                    "lora_unet_down_blocks_0_resnets_0_conv_shortcut");
            everyTargetExists(model, map);
        }
    }

    @Test
    void sdxl() {
        try (var model = new LoraTesting("models/sdxl_tiny.safetensors", new CpuOps())) {
            LoraKeyMap map = model.loader.keyMap();
            unet(map, U + "label_emb.0.0.weight", "lora_unet_add_embedding_linear_1", "lora_unet_class_embedding_linear_1",
                    "lora_unet_label_emb_0_0");
            unet(map, U + "input_blocks.4.1.transformer_blocks.1.attn2.to_k.weight",
                    "lora_unet_down_blocks_1_attentions_0_transformer_blocks_1_attn2_to_k");
            unet(map, U + "output_blocks.2.2.conv.weight", "lora_unet_up_blocks_0_upsamplers_0_conv");
            unet(map, U + "output_blocks.5.0.in_layers.2.weight", "lora_unet_up_blocks_1_resnets_2_conv1");
            String l = "conditioner.embedders.0.transformer.text_model.encoder.layers.";
            text(map, l + "1.self_attn.out_proj.weight", "lora_te1_text_model_encoder_layers_1_self_attn_out_proj",
                    "lora_te_text_model_encoder_layers_1_self_attn_out_proj", "text_encoder.text_model.encoder.layers.1.self_attn.out_proj");
            String g = "conditioner.embedders.1.model.";
            String[] qkv = {"q", "k", "v"};
            for (int j = 0; j < 3; j++) {
                Target t = new Target(g + "transformer.resblocks.1.attn.in_proj_weight", Component.TEXT_ENCODER, new Slice(0, 32 * j, 32));
                for (String stem : new String[] {"lora_te2_text_model_encoder_layers_1_self_attn_" + qkv[j] + "_proj",
                    "text_encoder_2.text_model.encoder.layers.1.self_attn." + qkv[j] + "_proj",
                    "text_encoders.clip_g.transformer.text_model.encoder.layers.1.self_attn." + qkv[j] + "_proj"}) {
                    assertEquals(t, map.target(stem).orElse(null), stem);
                }
            }
            text(map, g + "transformer.resblocks.2.mlp.c_fc.weight", "lora_te2_text_model_encoder_layers_2_mlp_fc1");
            text(map, g + "transformer.resblocks.0.attn.out_proj.weight", "lora_te2_text_model_encoder_layers_0_self_attn_out_proj");
            text(map, g + "ln_final.weight", "text_encoders.clip_g.transformer.text_model.final_layer_norm");
            text(map, g + "positional_embedding", "text_encoders.clip_g.transformer.text_model.embeddings.position_embedding");
            absent(map, "lora_te2_text_projection", "lora_unet_down_blocks_0_attentions_0_proj_in");
            everyTargetExists(model, map);
        }
    }

    @Test
    void theDiffusersNamesReachEveryUnetWeight() {
        for (String file : new String[] {"models/sd15_tiny.safetensors", "models/sdxl_tiny.safetensors"}) {
            try (var model = new LoraTesting(file, new CpuOps())) {
                Set<String> reached = new HashSet<>();
                UnetDiffusersNames.of(model.architecture.unet()).values().forEach(v -> reached.add(U + v));
                for (String key : model.params.keys()) {
                    if (key.startsWith(U)) {
                        assertTrue(reached.contains(key), file + ": no diffusers name for " + key);
                    }
                }
            }
        }
    }

    private static void unet(LoraKeyMap map, String weight, String... stems) {
        for (String stem : stems) {
            assertEquals(new Target(weight, Component.UNET), map.target(stem).orElse(null), stem);
        }
    }

    private static void text(LoraKeyMap map, String weight, String... stems) {
        for (String stem : stems) {
            assertEquals(new Target(weight, Component.TEXT_ENCODER), map.target(stem).orElse(null), stem);
        }
    }

    private static void absent(LoraKeyMap map, String... stems) {
        for (String stem : stems) {
            assertTrue(map.target(stem).isEmpty(), stem + " -> " + map.target(stem));
        }
    }

    private static void everyTargetExists(LoraTesting model, LoraKeyMap map) {
        for (var e : map.stems().entrySet()) {
            Target t = e.getValue();
            assertTrue(model.params.has(t.weight()), e.getKey() + " -> " + t.weight());
            assertEquals(t.weight().startsWith(U) ? Component.UNET : Component.TEXT_ENCODER, t.component(), e.getKey());
        }
    }
}
