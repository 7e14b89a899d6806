package io.stipple.engine.workflow;

/** What flows along a link: one of ComfyUI's link-only types. */
public sealed interface Value permits ModelValue, ClipValue, VaeValue, ConditioningValue, LatentValue, ImageValue, MaskValue {
    ValueType type();
}
