import '@adapters/bert/register';
import '@adapters/albert/register';
import '@adapters/bert-generation/register';
import '@adapters/distilbert/register';
import '@adapters/electra/register';
import '@adapters/gpt2/register';
import '@adapters/gptj/register';
import '@adapters/llama/register';
import '@adapters/clip/register';
import '@adapters/whisper/register';
import '@adapters/deberta/register';
import '@adapters/xmod/register';
import '@adapters/t5/register';
import '@adapters/bart/register';
import '@adapters/vit/register';
import '@adapters/beit/register';
import '@adapters/lora/register';
import '@adapters/ia3/register';
import '@adapters/bottleneck/register';
import '@adapters/compacter/register';
import '@adapters/invertible/register';
import '@adapters/prefix-tuning/register';
import '@adapters/prompt-tuning/register';
import '@adapters/reft/register';

/** Importing this module registers every model and method package the CLI ships with. */
export const PLUGINS_REGISTERED = true;
