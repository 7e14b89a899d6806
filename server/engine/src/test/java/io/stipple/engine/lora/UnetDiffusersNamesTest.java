package io.stipple.engine.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.stipple.engine.model.unet.UnetConfig;
import io.stipple.engine.model.unet.UnetConfig.AttentionHeads;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The diffusers names of the full-size SD1.5 and SDXL UNets, as kohya LoRAs for them are named. */
class UnetDiffusersNamesTest {

    @Test
    void sd15() {
        var sd15 = new UnetConfig(4, 4, 320, new int[] {1, 2, 4, 4}, new int[] {2, 2, 2, 2}, new int[] {1, 1, 1, 1, 1, 1, 0, 0},
                new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, 1, 768, false, 0, AttentionHeads.count(8));
        Map<String, String> names = UnetDiffusersNames.of(sd15);
        assertEquals("input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight",
                names.get("down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight"));
        assertEquals("input_blocks.8.1.proj_in.weight", names.get("down_blocks.2.attentions.1.proj_in.weight"));
        assertEquals("input_blocks.9.0.op.weight", names.get("down_blocks.2.downsamplers.0.conv.weight"));
        assertEquals("input_blocks.11.0.in_layers.2.weight", names.get("down_blocks.3.resnets.1.conv1.weight"));
        assertEquals("input_blocks.4.0.skip_connection.weight", names.get("down_blocks.1.resnets.0.conv_shortcut.weight"));
        assertEquals("middle_block.1.transformer_blocks.0.ff.net.0.proj.weight",
                names.get("mid_block.attentions.0.transformer_blocks.0.ff.net.0.proj.weight"));
        assertEquals("middle_block.2.emb_layers.1.weight", names.get("mid_block.resnets.1.time_emb_proj.weight"));
        assertEquals("output_blocks.2.1.conv.weight", names.get("up_blocks.0.upsamplers.0.conv.weight")); // no attention: conv is .1
        assertEquals("output_blocks.5.2.conv.weight", names.get("up_blocks.1.upsamplers.0.conv.weight"));
        assertEquals("output_blocks.3.1.proj_out.weight", names.get("up_blocks.1.attentions.0.proj_out.weight"));
        assertEquals("output_blocks.11.1.transformer_blocks.0.attn2.to_out.0.weight",
                names.get("up_blocks.3.attentions.2.transformer_blocks.0.attn2.to_out.0.weight"));
        assertEquals("output_blocks.11.0.skip_connection.weight", names.get("up_blocks.3.resnets.2.conv_shortcut.weight"));
        assertEquals("time_embed.0.weight", names.get("time_embedding.linear_1.weight"));
        assertFalse(names.containsKey("up_blocks.0.attentions.0.proj_in.weight"));
        assertFalse(names.containsKey("down_blocks.3.attentions.0.proj_in.weight"));
    }

    @Test
    void sdxl() {
        var sdxl = new UnetConfig(4, 4, 320, new int[] {1, 2, 4}, new int[] {2, 2, 2}, new int[] {0, 0, 2, 2, 10, 10},
                new int[] {0, 0, 0, 2, 2, 2, 10, 10, 10}, 10, 2048, true, 2816, AttentionHeads.width(64));
        Map<String, String> names = UnetDiffusersNames.of(sdxl);
        assertEquals("input_blocks.8.1.transformer_blocks.9.attn2.to_k.weight",
                names.get("down_blocks.2.attentions.1.transformer_blocks.9.attn2.to_k.weight"));
        assertEquals("input_blocks.4.1.proj_in.weight", names.get("down_blocks.1.attentions.0.proj_in.weight"));
        assertEquals("middle_block.1.transformer_blocks.9.attn1.to_v.weight",
                names.get("mid_block.attentions.0.transformer_blocks.9.attn1.to_v.weight"));
        assertEquals("output_blocks.2.1.transformer_blocks.9.ff.net.2.weight",
                names.get("up_blocks.0.attentions.2.transformer_blocks.9.ff.net.2.weight"));
        assertEquals("output_blocks.2.2.conv.weight", names.get("up_blocks.0.upsamplers.0.conv.weight"));
        assertEquals("output_blocks.5.2.conv.weight", names.get("up_blocks.1.upsamplers.0.conv.weight"));
        assertEquals("output_blocks.8.0.out_layers.3.weight", names.get("up_blocks.2.resnets.2.conv2.weight"));
        assertEquals("label_emb.0.2.weight", names.get("add_embedding.linear_2.weight"));
        assertFalse(names.containsKey("down_blocks.0.attentions.0.proj_in.weight"));
        assertFalse(names.containsKey("up_blocks.2.attentions.0.proj_in.weight"));
        // ComfyUI names an upsampler for the last level too, a weight no model has (the key map drops it)
        assertEquals("output_blocks.8.1.conv.weight", names.get("up_blocks.2.upsamplers.0.conv.weight"));
    }
}
