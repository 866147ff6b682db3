import '@adapters/bert/register';
import '@adapters/albert/register';
import '@adapters/bert-generation/register';
import '@adapters/distilbert/register';
import '@adapters/electra/register';
import '@adapters/gpt2/register';
import '@adapters/gptj/register';
import '@adapters/llama/register';
import '@adapters/lora/register';
import '@adapters/ia3/register';

/** Importing this module registers every model and method package the CLI ships with. */
export const PLUGINS_REGISTERED = true;
