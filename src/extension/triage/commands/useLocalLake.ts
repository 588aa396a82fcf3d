import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { TriageServices } from '../services';
import { useLocalLake as useLocal } from '../connect';

export const useLocalLake: Command<TriageServices> = {
  id: Commands.useLocalLake,
  title: 'Use Local Demo Lake',
  async run(s) {
    const { backends } = s;
    await useLocal(backends);
    s.backendSettingsApplied();
  },
};
